/** The locker's views live in the address's fragment (`#cases`, `#case/<id>`, `#session/<id>`). */
export function go(hash: string): void {
  location.hash = hash;
}
