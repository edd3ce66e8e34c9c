// Every job type the workers run. Adding a job: define it in its own module, list it here.
import type { AnyJob } from "./queue.server";
import { campaignQueueJob } from "./campaign-queue.server";
import { emailSendJob } from "./email-send.server";
import { reminderSendJob } from "./reminder-send.server";
import { remindersEvaluateJob } from "./reminders-evaluate.server";
import { webhookDeliverJob } from "./webhook-deliver.server";

export const jobs: AnyJob[] = [
  emailSendJob,
  webhookDeliverJob,
  reminderSendJob,
  remindersEvaluateJob,
  campaignQueueJob,
];
