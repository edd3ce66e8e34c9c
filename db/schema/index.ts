export * from "./suppliers";
export * from "./customers";
export * from "./invoices";
export * from "./events";
export * from "./messaging";
export * from "./payer-actions";
export * from "./reminders";
export * from "./payments";
