import "next-auth";

declare module "next-auth" {
  interface Session {
    user: { sub: string; name: string | null; email: string | null; username: string; isAdmin: boolean };
  }
}
