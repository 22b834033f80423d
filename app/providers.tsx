"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ToastProvider } from "@/components/ui/toast";
import { isSessionEnded, redirectToSignIn } from "@/components/layout/redirect-to-sign-in";

/**
 * One QueryClient per browser tab; failed polls are reported once, centrally. A 401 (or an action that
 * answers Unauthenticated) means the session ended while the page was open: go to sign-in and come back.
 */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (error) => {
            if (isSessionEnded(error)) return redirectToSignIn();
            // eslint-disable-next-line no-console -- in the browser the console is where a failed background poll can be seen
            console.warn("A live view could not refresh:", error.message);
          },
        }),
        mutationCache: new MutationCache({
          onSuccess: (data) => {
            if (isSessionEnded(data)) redirectToSignIn();
          },
          onError: (error) => {
            if (isSessionEnded(error)) redirectToSignIn();
          },
        }),
        defaultOptions: { queries: { staleTime: 2_000, retry: (n, error) => !isSessionEnded(error) && n < 1 } },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
