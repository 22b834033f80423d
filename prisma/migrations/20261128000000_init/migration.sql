-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "GrantStatus" AS ENUM ('pending', 'active', 'revoking', 'revoked', 'revoked_at_provider');

-- CreateEnum
CREATE TYPE "RevocationStatus" AS ENUM ('pending', 'confirmed');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('active', 'paused', 'revoked');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'stopped');

-- CreateTable
CREATE TABLE "User" (
    "sub" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("sub")
);

-- CreateTable
CREATE TABLE "LoginSession" (
    "id" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "keycloakSid" TEXT,
    "keyId" TEXT NOT NULL,
    "idTokenEnc" TEXT NOT NULL,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT,
    "accessExpiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "LoginSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "scopes" TEXT[],
    "status" "GrantStatus" NOT NULL DEFAULT 'active',
    "keyId" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "accessTokenEnc" TEXT,
    "accessExpiresAt" TIMESTAMP(3),
    "keycloakSid" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "lastRefreshAt" TIMESTAMP(3),
    "lastRefreshOk" BOOLEAN,
    "lastError" TEXT,
    "idleExpiresAt" TIMESTAMP(3),
    "maxExpiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokeReason" TEXT,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Revocation" (
    "id" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "status" "RevocationStatus" NOT NULL DEFAULT 'pending',
    "keyId" TEXT NOT NULL,
    "tokenEnc" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "proof" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "Revocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'active',
    "intervalMinutes" INTEGER NOT NULL DEFAULT 60,
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "stoppedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskRun" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "itemsDone" INTEGER NOT NULL DEFAULT 0,
    "itemsTotal" INTEGER,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "error" TEXT,
    "summary" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoteDocument" (
    "id" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "etag" TEXT,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "search" tsvector,

    CONSTRAINT "NoteDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FileEntry" (
    "id" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "isFolder" BOOLEAN NOT NULL,
    "size" BIGINT NOT NULL,
    "etag" TEXT,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FileEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "subject" TEXT,
    "actChain" JSONB,
    "action" TEXT NOT NULL,
    "resource" TEXT,
    "outcome" TEXT NOT NULL,
    "errorCode" TEXT,
    "taskId" TEXT,
    "correlationId" TEXT NOT NULL,
    "mechanism" TEXT,
    "details" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "TierProbe" (
    "mechanism" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "evidence" JSONB NOT NULL,
    "fix" TEXT,

    CONSTRAINT "TierProbe_pkey" PRIMARY KEY ("mechanism")
);

-- CreateIndex
CREATE INDEX "LoginSession_userSub_idx" ON "LoginSession"("userSub");

-- CreateIndex
CREATE INDEX "LoginSession_keycloakSid_idx" ON "LoginSession"("keycloakSid");

-- CreateIndex
CREATE INDEX "Grant_userSub_status_idx" ON "Grant"("userSub", "status");

-- CreateIndex
CREATE INDEX "Grant_keycloakSid_idx" ON "Grant"("keycloakSid");

-- CreateIndex
CREATE INDEX "Revocation_status_nextAttemptAt_idx" ON "Revocation"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Revocation_userSub_idx" ON "Revocation"("userSub");

-- CreateIndex
CREATE INDEX "Task_status_nextRunAt_idx" ON "Task"("status", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "Task_userSub_type_key" ON "Task"("userSub", "type");

-- CreateIndex
CREATE INDEX "TaskRun_taskId_createdAt_idx" ON "TaskRun"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "TaskRun_userSub_createdAt_idx" ON "TaskRun"("userSub", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NoteDocument_userSub_path_key" ON "NoteDocument"("userSub", "path");

-- CreateIndex
CREATE UNIQUE INDEX "FileEntry_userSub_path_key" ON "FileEntry"("userSub", "path");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_subject_at_idx" ON "AuditEvent"("subject", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_at_idx" ON "AuditEvent"("actor", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- AddForeignKey
ALTER TABLE "LoginSession" ADD CONSTRAINT "LoginSession_userSub_fkey" FOREIGN KEY ("userSub") REFERENCES "User"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_userSub_fkey" FOREIGN KEY ("userSub") REFERENCES "User"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revocation" ADD CONSTRAINT "Revocation_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_userSub_fkey" FOREIGN KEY ("userSub") REFERENCES "User"("sub") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskRun" ADD CONSTRAINT "TaskRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

