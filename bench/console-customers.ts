// `npm run bench:console-customers`: the console's customer list (/app/customers) for a supplier
// with 1,000,000 customers (BENCH_CUSTOMERS), beside a small supplier. Times the use case the page
// calls (customerDirectory: one query, keyset-paged on (name, id), a search on id) for the first
// page, a page deep in the list, and searches by a part of a name, a common word, a customer number and an
// organisation number; prints p50/p95 per case and each query's plan. Not a timed test: the table
// is the result. DATABASE_URL's server when set (a scratch database is created and dropped), else
// an embedded one.
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openScratchDatabase } from "./scratch-database";
import { createSupplier } from "../app/features/suppliers/db/suppliers.server";
import { customerDirectory } from "../app/features/customers/customer-console.server";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SAMPLES = 25;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

async function main() {
  const database = await openScratchDatabase("console_customers", 4);
  const { db } = database;
  try {
    const big = await createSupplier(db, { name: "Stor Leverantör AB" });
    const small = await createSupplier(db, { name: "Liten Leverantör AB" });
    const started = performance.now();
    // Names like "Bygg 3fa2c1d0 AB": a shared word and a rare one, as real customer names are.
    const words = sql.raw(`(array['Bygg', 'Konsult', 'Transport', 'Fastighet', 'Handel'])[i % 5 + 1]`);
    for (const [supplierId, count] of [[big.id, CUSTOMERS], [small.id, 10_000]] as const) {
      await db.execute(sql`
        insert into customers (id, supplier_id, external_id, name, org_number)
        select 'cus_' || ${supplierId.slice(-6)} || lpad(i::text, 16, '0'), ${supplierId}, 'K' || i,
               ${words} || ' ' || substr(md5(${supplierId} || i), 1, 8) || ' AB',
               case when i % 3 = 0 then lpad((556000000 + i)::text, 6, '0') || '-' || lpad((i % 10000)::text, 4, '0') end
        from generate_series(1, ${count}) i`);
    }
    await db.execute(sql`analyze customers`);
    console.log(`${CUSTOMERS.toLocaleString("en")} customers written and analysed in ${((performance.now() - started) / 1000).toFixed(1)} s (${database.server})\n`);

    const [middle] = await db.execute<{ id: string; name: string }>(sql`
      select id, name from customers where supplier_id = ${big.id} order by name, id offset ${Math.floor(CUSTOMERS / 2)} limit 1`);
    // One customer with a real (check-digit valid) organisation number among the generated ones.
    const org = "556036-0793";
    await db.execute(sql`update customers set org_number = ${org} where id = ${middle!.id}`);
    const rare = middle!.name.split(" ")[1]!.slice(0, 6);
    const cases: [string, { search?: string; after?: string }][] = [
      ["first page", {}],
      ["a page halfway down (after=…)", { after: middle!.id }],
      [`part of a name ("${rare}")`, { search: rare }],
      // Every fifth name has it, and they all sort last: the case that made searches page on id.
      ['a common word ("Transport")', { search: "Transport" }],
      ['its second page', { search: "Transport", after: (await customerDirectory(db, big.id, { search: "Transport" })).nextAfter ?? undefined }],
      ["customer number (K4711)", { search: "K4711" }],
      [`organisation number (${org.replace("-", "")})`, { search: org.replace("-", "") }],
    ];
    console.log("| case | rows | p50 ms | p95 ms |\n|---|---:|---:|---:|");
    for (const [label, query] of cases) {
      const times: number[] = [];
      let rows = 0;
      for (let sample = 0; sample < SAMPLES; sample++) {
        const start = performance.now();
        rows = (await customerDirectory(db, big.id, query)).rows.length;
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(`| ${label} | ${rows} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} |`);
    }

    // The plans, for the note: each case uses an index, none reads the supplier's whole list.
    for (const [label, condition] of [
      ["part of a name", sql`(name ilike ${`%${rare}%`} or external_id = ${rare})`],
      ["a common word", sql`(name ilike ${"%Transport%"} or external_id = ${"Transport"})`],
      ["organisation number", sql`(name ilike ${`%${org}%`} or external_id = ${org} or org_number = ${org})`],
    ] as const) {
      const plan = await db.execute<{ "QUERY PLAN": string }>(sql`
        explain (analyze, costs off, timing off, summary off) select id from customers
        where supplier_id = ${big.id} and ${condition} order by id limit 51`);
      console.log(`\n${label}:\n${plan.map((line) => `  ${line["QUERY PLAN"]}`).join("\n")}`);
    }
  } finally {
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
