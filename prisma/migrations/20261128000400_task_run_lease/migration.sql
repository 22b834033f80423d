-- A lease on each task run: the owning worker renews heartbeatAt, so a run whose worker died is handed
-- back to the queue within seconds instead of waiting for the job's expiry.

-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "jobId" TEXT,
ADD COLUMN     "leaseId" TEXT;

-- CreateIndex
CREATE INDEX "TaskRun_status_heartbeatAt_idx" ON "TaskRun"("status", "heartbeatAt");
