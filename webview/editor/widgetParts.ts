/** Small DOM helpers shared by the find and go-to widgets. */

export function iconButton(icon: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'icon-button';
  b.title = label;
  b.setAttribute('aria-label', label);
  const i = document.createElement('span');
  i.className = `codicon codicon-${icon}`;
  i.setAttribute('aria-hidden', 'true');
  b.appendChild(i);
  b.addEventListener('click', onClick);
  return b;
}

/** A toggle button (aria-pressed) showing an icon or a short text. */
export function toggleButton(content: { icon?: string; text?: string }, label: string, onToggle: (on: boolean) => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'toggle-button';
  b.title = label;
  b.setAttribute('aria-label', label);
  b.setAttribute('aria-pressed', 'false');
  if (content.icon) {
    const i = document.createElement('span');
    i.className = `codicon codicon-${content.icon}`;
    i.setAttribute('aria-hidden', 'true');
    b.appendChild(i);
  } else b.textContent = content.text ?? '';
  b.addEventListener('click', () => {
    const on = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(on));
    onToggle(on);
  });
  return b;
}

export function textInput(label: string, placeholder: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'text';
  input.spellcheck = false;
  input.autocomplete = 'off';
  input.placeholder = placeholder;
  input.setAttribute('aria-label', label);
  return input;
}
