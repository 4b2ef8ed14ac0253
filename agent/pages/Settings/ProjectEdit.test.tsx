// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { embedSnippet } from '../../../widget/snippet.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { ProjectEditPage } from './ProjectEdit.js';

afterEach(resetAll);

async function show(routes: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    ...routes,
  });
  render(<ProjectEditPage id="acme" publicUrl="https://chat.example.com" />);
  await screen.findByRole('heading', { name: 'Acme', level: 1 });
  return calls;
}

const field = (label: string | RegExp) => screen.getByLabelText<HTMLInputElement>(label);
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

describe('ProjectEditPage', () => {
  it('shows the exact embed snippet for this project and server', async () => {
    await show();

    const snippet = screen.getByLabelText('Embed snippet');
    expect(snippet.textContent).toBe(
      embedSnippet({ publicUrl: 'https://chat.example.com', projectId: 'acme' }),
    );
    expect(snippet.textContent).toContain('https://chat.example.com/widget/widget.js');
  });

  it('shows each invalid field next to it, by line for origins, and sends nothing', async () => {
    const calls = await show();

    fireEvent.input(field('Allowed origins'), {
      target: { value: 'https://acme.test\nacme.test/shop' },
    });
    fireEvent.input(field('Colour'), { target: { value: 'blue' } });
    fireEvent.input(field(/z-index/), { target: { value: 'high' } });
    fireEvent.input(field('Name'), { target: { value: '  ' } });
    save();

    expect(
      await screen.findByText('Line 2: Use an origin like https://www.example.com'),
    ).toBeTruthy();
    expect(screen.getByText('Use a colour like #4f46e5')).toBeTruthy();
    expect(screen.getByText('Enter a whole number')).toBeTruthy();
    expect(screen.getByText('This field is required')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Fix the highlighted fields.');
    expect(field('Colour').getAttribute('aria-invalid')).toBe('true');
    expect(field('Colour').getAttribute('aria-describedby')).toBe('edit-color-error');
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  it('saves only through the API, trimming a pasted trailing slash off origins', async () => {
    const calls = await show({
      'PATCH /api/admin/projects/acme': (call) => ({
        body: project({
          ...(call.body as object),
          widget: { ...project().widget, color: '#0e9f6e', position: 'left' },
        }),
      }),
    });

    expect(screen.getByRole('button', { name: 'Save changes' })).toHaveProperty('disabled', true);
    fireEvent.input(field('Allowed origins'), {
      target: { value: 'https://acme.test\nhttps://shop.acme.test/' },
    });
    fireEvent.input(field('Colour'), { target: { value: '#0e9f6e' } });
    fireEvent.click(screen.getByLabelText('Bottom left'));
    expect(await screen.findByText('You have unsaved changes')).toBeTruthy();
    save();

    expect(await screen.findByText('Changes saved')).toBeTruthy();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({
      name: 'Acme',
      allowedOrigins: ['https://acme.test', 'https://shop.acme.test'],
      widget: {
        color: '#0e9f6e',
        position: 'left',
        greeting: 'Hi! How can we help?',
        zIndex: 2147483000,
      },
    });
  });

  it('puts the server’s field errors next to the fields they name', async () => {
    await show({
      'PATCH /api/admin/projects/acme': {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Check the highlighted fields',
            fields: [{ path: 'widget.greeting', message: 'Greeting is too long' }],
          },
        },
      },
    });

    fireEvent.input(field('Greeting'), { target: { value: 'Hello there' } });
    save();

    await waitFor(() => expect(screen.getByText('Greeting is too long')).toBeTruthy());
    expect(field('Greeting').getAttribute('aria-invalid')).toBe('true');
  });

  it('says so when the project does not exist', async () => {
    mockApi({ 'GET /api/admin/projects': { body: { items: [] } } });
    render(<ProjectEditPage id="nope" publicUrl="https://chat.example.com" />);

    expect(await screen.findByText('Project not found')).toBeTruthy();
  });
});
