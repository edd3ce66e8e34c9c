// The composition root of the job queue: every job the workers run, registered once. Entry
// points that migrate, drain or run jobs import this module; the queue itself knows no feature.
// Adding a job: define it beside its feature, then list it here.
import { registerJobs } from "~/jobs/registry.server";
import { campaignQueueJob } from "~/jobs/campaign-queue.server";
import { emailSendJob } from "~/jobs/email-send.server";
import { reminderSendJob } from "~/jobs/reminder-send.server";
import { remindersEvaluateJob } from "~/jobs/reminders-evaluate.server";
import { webhookDeliverJob } from "~/jobs/webhook-deliver.server";

export const jobs = [emailSendJob, webhookDeliverJob, reminderSendJob, remindersEvaluateJob, campaignQueueJob];

registerJobs(jobs);
