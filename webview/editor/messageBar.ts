/**
 * Short messages inside the editor (read-only edit attempts, paste that does
 * not fit, go-to errors that have no widget): a live region, so screen
 * readers announce them too.
 */
export type Level = 'info' | 'warning' | 'error';

export class MessageBar {
  private readonly el: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'message-bar';
    this.el.setAttribute('role', 'status');
    this.el.setAttribute('aria-live', 'polite');
    this.el.hidden = true;
    parent.appendChild(this.el);
  }

  show(level: Level, text: string, ms = 5000): void {
    const icon = document.createElement('span');
    icon.className = `codicon codicon-${level}`;
    icon.setAttribute('aria-hidden', 'true');
    const body = document.createElement('span');
    body.textContent = text;
    this.el.replaceChildren(icon, body);
    this.el.dataset.level = level;
    this.el.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.el.hidden = true; }, ms);
  }

  get text(): string { return this.el.hidden ? '' : this.el.textContent ?? ''; }
}
