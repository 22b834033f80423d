# The dashboard and the worker share one image (the worker is a second process of the same code).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build/unused npx prisma generate && npx next build
EXPOSE 3000
