// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { mockApi } from '../../test-support/api-mock.js';
import { project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { $route } from '../../stores/route.js';
import { ProjectsPage } from './Projects.js';

afterEach(resetAll);

describe('ProjectsPage', () => {
  it('lists projects with their origins and warns about a project with none', async () => {
    mockApi({
      'GET /api/admin/projects': {
        body: { items: [project(), project({ id: 'docs', name: 'Docs', allowedOrigins: [] })] },
      },
    });
    render(<ProjectsPage />);

    const acme = (await screen.findByText('Acme')).closest('a') as HTMLElement;
    expect(acme.getAttribute('href')).toBe('/agent/settings/projects/acme');
    expect(within(acme).getByText('https://acme.test')).toBeTruthy();
    expect(screen.getByText(/No allowed origins yet/)).toBeTruthy();
  });

  it('validates a new project in place, then creates it and opens its settings', async () => {
    const calls = mockApi({
      'GET /api/admin/projects': { body: { items: [] } },
      'POST /api/admin/projects': {
        status: 201,
        body: project({ id: 'docs', name: 'Docs', allowedOrigins: ['https://docs.example.com'] }),
      },
    });
    render(<ProjectsPage />);
    expect(await screen.findByText('No projects yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New project' }));
    const form = screen.getByRole('form', { name: 'New project' });

    fireEvent.input(within(form).getByLabelText('Project id (optional)'), {
      target: { value: 'Docs Site' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create project' }));

    expect(await within(form).findByText('This field is required')).toBeTruthy();
    expect(within(form).getByText('Use lowercase letters, digits and dashes')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Docs' } });
    fireEvent.input(within(form).getByLabelText('Project id (optional)'), {
      target: { value: 'docs' },
    });
    fireEvent.input(within(form).getByLabelText('Allowed origins'), {
      target: { value: 'https://docs.example.com/' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create project' }));

    await screen.findByText('Docs');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Docs',
      id: 'docs',
      allowedOrigins: ['https://docs.example.com'],
    });
    expect($route.get()).toEqual({ name: 'project', id: 'docs' });
  });
});
