export default function Forbidden() {
  return (
    <section className="space-y-3">
      <h1 className="text-2xl font-semibold">403 — Forbidden</h1>
      <p className="text-slate-700">This area is for dashboard administrators only.</p>
    </section>
  );
}
