"use client";

import * as RadixToast from "@radix-ui/react-toast";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { cn } from "./cn";

type TToast = { id: number; title: string; description?: string; tone: "success" | "error" | "info" };
type TShowToast = (t: Omit<TToast, "id">) => void;

const ToastContext = createContext<TShowToast>(() => {});

/** Props: `children`. Wrap the app once; descendants call `useToast()` to show a receipt (announced politely to screen readers). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<TToast[]>([]);
  const show = useCallback<TShowToast>((t) => setToasts((list) => [...list.slice(-2), { ...t, id: Date.now() + Math.random() }]), []);
  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider duration={8_000} swipeDirection="right">
        {children}
        {toasts.map((t) => (
          <RadixToast.Root
            key={t.id}
            type={t.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && setToasts((list) => list.filter((x) => x.id !== t.id))}
            className={cn(
              "flex items-start gap-3 rounded-lg border bg-white p-3 shadow-lg",
              t.tone === "success" && "border-green-400",
              t.tone === "error" && "border-red-400",
              t.tone === "info" && "border-slate-300",
            )}
          >
            <div className="min-w-0 flex-1">
              <RadixToast.Title className="text-sm font-semibold">{t.title}</RadixToast.Title>
              {t.description && <RadixToast.Description className="mt-0.5 text-sm text-slate-700">{t.description}</RadixToast.Description>}
            </div>
            <RadixToast.Close className="rounded px-2 text-sm text-slate-600 hover:bg-slate-100" aria-label="Dismiss">
              ×
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className="fixed right-0 bottom-0 z-50 flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

/** Returns `show({ title, description?, tone })`: a short receipt after an action (success | error | info). */
export function useToast(): TShowToast {
  return useContext(ToastContext);
}
