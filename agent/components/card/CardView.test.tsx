// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Card, type Role } from '../../../protocol/index.js';
import { CardView, type OnCardAction } from './index.js';

afterEach(cleanup);

const ORDERS = Card.parse({
  version: 1,
  title: 'Alice’s orders',
  components: [
    { type: 'heading', text: 'This month' },
    { type: 'text', text: 'Two orders\nboth paid', tone: 'muted' },
    { type: 'badge', text: 'VIP', tone: 'success' },
    {
      type: 'keyValue',
      items: [
        { label: 'Plan', value: 'Pro' },
        { label: 'Coupon', value: null },
      ],
    },
    {
      type: 'table',
      columns: ['Order', 'Total'],
      rows: [
        ['ORD-1', 249],
        ['ORD-2', null],
      ],
    },
    { type: 'divider' },
    { type: 'link', text: 'Open in admin', url: 'https://shop.example/admin/u/1' },
    { type: 'image', url: 'https://cdn.shop.example/p.png', alt: 'Hosting plan', width: 64 },
    { type: 'button', text: 'Resend invoice', action: 'resend' },
    {
      type: 'section',
      title: 'Refund',
      components: [
        {
          type: 'form',
          components: [
            { type: 'input', name: 'amount', label: 'Amount', required: true, value: '249' },
            { type: 'textarea', name: 'reason', label: 'Reason', placeholder: 'Why?' },
            {
              type: 'select',
              name: 'method',
              label: 'Method',
              options: [
                { label: 'Card', value: 'card' },
                { label: 'Store credit', value: 'credit' },
              ],
              required: true,
              value: 'card',
            },
            { type: 'checkbox', name: 'notify', label: 'Email the customer' },
            {
              type: 'button',
              text: 'Refund',
              action: 'refund:ORD-1',
              style: 'danger',
              confirm: 'Refund €249 to Alice? This cannot be undone.',
            },
          ],
        },
      ],
    },
    { type: 'button', text: 'Delete account', action: 'delete', adminOnly: true },
  ],
});

function show(card: Card = ORDERS, options: { role?: Role; busyAction?: string | null } = {}) {
  const onAction = vi.fn<OnCardAction>();
  const view = (next: Card) => (
    <CardView
      card={next}
      role={options.role ?? 'admin'}
      onAction={onAction}
      busyAction={options.busyAction ?? null}
    />
  );
  const result = render(view(card));
  return { onAction, rerender: (next: Card) => result.rerender(view(next)) };
}

const refundForm = () => within(screen.getByRole('region', { name: 'Refund' }));

describe('a card', () => {
  it('draws every component with the console’s own elements', () => {
    const { container } = render(<CardView card={ORDERS} role="admin" onAction={() => {}} />);

    expect(screen.getByRole('heading', { name: 'Alice’s orders' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'This month' })).toBeTruthy();
    expect(screen.getByText(/Two orders/).textContent).toBe('Two orders\nboth paid');
    expect(screen.getByText('VIP').className).toContain('site-card-tone-success');
    expect(screen.getByText('Plan').nextElementSibling?.textContent).toBe('Pro');
    expect(screen.getByText('Coupon').nextElementSibling?.textContent).toBe('—');
    const table = screen.getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Order', 'Total']);
    expect(
      within(table)
        .getAllByRole('cell')
        .map((td) => td.textContent),
    ).toEqual(['ORD-1', '249', 'ORD-2', '']);
    expect(screen.getByRole('separator')).toBeTruthy();

    const link = screen.getByRole('link', { name: 'Open in admin' });
    expect(link.getAttribute('href')).toBe('https://shop.example/admin/u/1');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');

    const image = screen.getByRole('img', { name: 'Hosting plan' });
    expect(image.getAttribute('src')).toBe('https://cdn.shop.example/p.png');
    expect(image.getAttribute('loading')).toBe('lazy');
    expect(image.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(image.getAttribute('width')).toBe('64');

    const form = refundForm();
    expect(form.getByLabelText<HTMLInputElement>('Amount').value).toBe('249');
    expect(form.getByLabelText('Amount').getAttribute('name')).toBe('amount');
    expect(form.getByLabelText('Reason').tagName).toBe('TEXTAREA');
    expect(form.getByRole<HTMLSelectElement>('combobox', { name: 'Method' }).value).toBe('card');
    expect(form.getByRole('checkbox', { name: 'Email the customer' })).toHaveProperty(
      'checked',
      false,
    );
    expect(screen.getByRole('button', { name: 'Resend invoice' })).toBeTruthy();
    expect(container.querySelector('script, iframe, style, object, embed')).toBeNull();
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'http://shop.example/',
    '//evil.example/',
    'https://shop.example@evil.example/',
  ])('draws a link to %j that got past the schema as plain text, never a link', (url) => {
    const hostile = {
      version: 1,
      components: [
        { type: 'link', text: 'Open', url },
        { type: 'image', url, alt: 'Tracking pixel' },
      ],
    } as Card;
    const { container } = render(<CardView card={hostile} role="admin" onAction={() => {}} />);

    expect(screen.queryByRole('link')).toBeNull();
    expect(container.querySelector('a, [href]')).toBeNull();
    expect(screen.getByText('Open').tagName).toBe('SPAN');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('Image not shown: Tracking pixel')).toBeTruthy();
  });

  it('shows markup as text and skips components it does not know', () => {
    const hostile = {
      version: 1,
      components: [
        { type: 'text', text: '<img src=x onerror=alert(1)><script>alert(1)</script>' },
        { type: 'html', html: '<iframe src="https://evil.example"></iframe>' },
      ],
    } as unknown as Card;
    const { container } = render(<CardView card={hostile} role="admin" onAction={() => {}} />);

    expect(screen.getByText(/<script>/).textContent).toBe(
      '<img src=x onerror=alert(1)><script>alert(1)</script>',
    );
    expect(container.querySelector('img, script, iframe')).toBeNull();
  });
});

describe('a card’s buttons', () => {
  it('send a button outside a form at once, with no inputs', () => {
    const { onAction } = show();
    fireEvent.click(screen.getByRole('button', { name: 'Resend invoice' }));
    expect(onAction).toHaveBeenCalledExactlyOnceWith(
      'resend',
      {},
      expect.objectContaining({ action: 'resend' }),
    );
  });

  it('send the form’s inputs under their names, after the agent confirms', () => {
    const { onAction } = show();
    const form = refundForm();
    fireEvent.input(form.getByLabelText('Amount'), { target: { value: '120' } });
    fireEvent.input(form.getByLabelText('Reason'), { target: { value: 'Arrived late' } });
    fireEvent.change(form.getByRole('combobox', { name: 'Method' }), {
      target: { value: 'credit' },
    });
    fireEvent.click(form.getByRole('checkbox', { name: 'Email the customer' }));

    fireEvent.click(form.getByRole('button', { name: 'Refund' }));
    const dialog = screen.getByRole('dialog', { name: 'Refund?' });
    expect(within(dialog).getByText('Refund €249 to Alice? This cannot be undone.')).toBeTruthy();
    expect(onAction).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onAction).toHaveBeenCalledExactlyOnceWith(
      'refund:ORD-1',
      { amount: '120', reason: 'Arrived late', method: 'credit', notify: true },
      expect.objectContaining({ action: 'refund:ORD-1', style: 'danger' }),
    );
  });

  it('do nothing when the agent cancels the confirmation, by button or Escape', () => {
    const { onAction } = show();
    fireEvent.click(refundForm().getByRole('button', { name: 'Refund' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(refundForm().getByRole('button', { name: 'Refund' }));
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onAction).not.toHaveBeenCalled();
  });

  it('say what is missing beside the field, and send nothing', () => {
    const { onAction } = show();
    const form = refundForm();
    const amount = form.getByLabelText('Amount');
    fireEvent.input(amount, { target: { value: '  ' } });
    fireEvent.click(form.getByRole('button', { name: 'Refund' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onAction).not.toHaveBeenCalled();
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(amount.getAttribute('aria-describedby') ?? '');
    expect(error?.textContent).toBe('“Amount” is required');

    fireEvent.input(amount, { target: { value: '10' } });
    expect(amount.getAttribute('aria-invalid')).toBeNull();
  });

  it('keep admin-only buttons from agents, saying why', () => {
    const { onAction } = show(ORDERS, { role: 'agent' });
    const button = screen.getByRole('button', { name: 'Delete account' });
    expect(button).toHaveProperty('disabled', true);
    const note = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('Only admins can use this button');
    fireEvent.click(button);
    expect(onAction).not.toHaveBeenCalled();

    cleanup();
    const admin = show(ORDERS, { role: 'admin' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete account' }));
    expect(admin.onAction).toHaveBeenCalledOnce();
  });

  it('wait while an action runs, the running one marked busy', () => {
    const { onAction } = show(ORDERS, { busyAction: 'resend' });
    const running = screen.getByRole('button', { name: 'Resend invoice' });
    expect(running.getAttribute('aria-busy')).toBe('true');
    for (const button of screen.getAllByRole('button')) {
      expect(button).toHaveProperty('disabled', true);
    }
    fireEvent.click(refundForm().getByRole('button', { name: 'Refund' }));
    expect(onAction).not.toHaveBeenCalled();
  });

  it('start the forms of a new card afresh', () => {
    const { rerender } = show();
    fireEvent.input(refundForm().getByLabelText('Amount'), { target: { value: '1' } });
    rerender(structuredClone(ORDERS));
    expect(refundForm().getByLabelText<HTMLInputElement>('Amount').value).toBe('249');
  });
});
