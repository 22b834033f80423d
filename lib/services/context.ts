/** Who is calling a service. Built on the server from the session; services check permission from it. */
export type TCtx = {
  userSub: string;
  username: string;
  isAdmin: boolean;
  correlationId: string;
};
