// The composition root of the job queue: every job the workers run, registered once, and the
// runner of each kind of import. Entry points that migrate, drain or run jobs import this module;
// the queue itself knows no feature. Adding a job: define it beside its feature, then list it here.
import { registerJobs } from "~/platform/jobs/registry.server";
import { registerImportRunners } from "~/platform/imports/imports.server";
import { importRunJob } from "~/platform/imports/import-run.job.server";
import { campaignQueueJob } from "~/features/campaigns/campaign-queue.job.server";
import { emailSendJob } from "~/features/emails/email-send.job.server";
import { reminderSendJob } from "~/features/reminders/reminder-send.job.server";
import { remindersEvaluateJob } from "~/features/reminders/reminders-evaluate.job.server";
import { webhookDeliverJob } from "~/features/webhooks/webhook-deliver.job.server";
import { runInvoiceImport } from "~/features/invoices/import/invoice-import.server";
import { runBankFileImport } from "~/features/bank-files/bank-file-import.server";

export const jobs = [emailSendJob, webhookDeliverJob, reminderSendJob, remindersEvaluateJob, campaignQueueJob, importRunJob];

registerJobs(jobs);
registerImportRunners({ invoices_csv: runInvoiceImport, bank_file: runBankFileImport });
