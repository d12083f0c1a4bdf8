import { useEffect, useState, type FormEvent } from 'react';
import { MAX_DAY_RANGE, type DashboardWindow } from './params';

interface Props {
  window: DashboardWindow;
  onApply: (window: DashboardWindow) => void;
}

/** The dashboard-wide window. Each tile takes only the parts its metric's query uses. */
export function WindowForm({ window, onApply }: Props) {
  const [start, setStart] = useState(window.start_date ?? '');
  const [end, setEnd] = useState(window.end_date ?? '');
  const [days, setDays] = useState(window.day_range === undefined ? '' : String(window.day_range));
  const [asOf, setAsOf] = useState(window.as_of ?? '');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setStart(window.start_date ?? '');
    setEnd(window.end_date ?? '');
    setDays(window.day_range === undefined ? '' : String(window.day_range));
    setAsOf(window.as_of ?? '');
  }, [window]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (start && end && start > end) {
      setError('The start date is after the end date.');
      return;
    }
    if (days !== '' && !(/^\d+$/.test(days) && Number(days) <= MAX_DAY_RANGE)) {
      setError(`Last N days takes a whole number from 0 to ${MAX_DAY_RANGE}.`);
      return;
    }
    setError(null);
    const next: DashboardWindow = {};
    if (start) next.start_date = start;
    if (end) next.end_date = end;
    if (days !== '') next.day_range = Number(days);
    if (asOf) next.as_of = asOf;
    onApply(next);
  };

  const clear = () => {
    setError(null);
    onApply({});
  };

  return (
    <form className="window-form" onSubmit={submit} aria-label="Date window for every tile">
      <label>
        From
        <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={end} onChange={(e) => setEnd(e.target.value)} />
      </label>
      <label>
        Last
        <input type="number" min={0} max={MAX_DAY_RANGE} step={1} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} className="days" />
        days
      </label>
      <label>
        As of
        <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
      </label>
      <button type="submit">Apply</button>
      <button type="button" onClick={clear}>
        Clear
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
