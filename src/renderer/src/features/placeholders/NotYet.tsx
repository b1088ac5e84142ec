/** A screen whose feature is not built yet says so plainly. */
export function NotYet({ title, what }: { title: string; what: string }) {
  return (
    <section aria-labelledby="ny-title">
      <div className="page-head">
        <h1 id="ny-title">{title}</h1>
      </div>
      <p className="panel">{what}</p>
    </section>
  );
}
