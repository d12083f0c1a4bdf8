import type { CellValue } from '../api/types';

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Any cell as plain text for the table and the figure (React renders it as a text node). */
export function formatCell(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isFinite(value) ? numberFormat.format(value) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** "cost_avoided" → "Cost avoided": column names as labels. */
export function columnLabel(name: string): string {
  const spaced = name.replace(/_/g, ' ').trim();
  return spaced ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : name;
}
