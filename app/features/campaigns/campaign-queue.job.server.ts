// `campaign.queue`: a started campaign's fan-out (links and request emails for every customer in
// its audience), once per campaign however often it runs: the campaign's row lock and its
// queued_at make a second run, on this or another worker, a no-op.
import { z } from "zod";
import { defineJob } from "../../platform/jobs/registry.server";
import { CAMPAIGN_QUEUE_JOB, queueCampaign } from "~/features/campaigns/campaigns.server";

export const campaignQueueJob = defineJob({
  name: CAMPAIGN_QUEUE_JOB,
  schema: z.object({ campaignId: z.string().min(1), supplierId: z.string().min(1) }),
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  handle: async (payload, services) => {
    const outcome = await queueCampaign(services, payload, services.now?.() ?? new Date());
    if (outcome) services.log.info({ campaignId: payload.campaignId, ...outcome }, "campaign emails queued");
  },
});
