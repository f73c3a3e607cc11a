import { describe, expect, it } from 'vitest';
import { errorSummary, field, notice } from './components.ts';
import { byId, control, descriptions, tags, textOf } from './views/html-inspect.test-support.ts';

describe('form components', () => {
  it('ties a label to its input and keeps the value escaped', () => {
    const markup = field({ name: 'email', label: 'Email', type: 'email', value: '"><b>x' }).toString();
    const input = control(markup, 'Email');
    expect(input.attrs).toMatchObject({ name: 'email', type: 'email', value: '"><b>x', id: 'field-email' });
    expect(tags(markup, 'b')).toEqual([]);
    expect(input.attrs['aria-invalid']).toBeUndefined();
    expect(input.attrs['aria-describedby']).toBeUndefined();
  });

  it('describes the input by its hint and its error, and marks it invalid', () => {
    const markup = field({
      name: 'password',
      label: 'Password',
      type: 'password',
      hint: 'At least 8',
      error: 'Too short',
    }).toString();
    const input = control(markup, 'Password');
    expect(input.attrs['aria-invalid']).toBe('true');
    expect(descriptions(markup, input)).toEqual(['At least 8', 'Error: Too short']);
  });

  it('never echoes a password', () => {
    const markup = field({
      name: 'password',
      label: 'Password',
      type: 'password',
      value: 'hunter22',
    }).toString();
    expect(markup).not.toContain('hunter22');
  });

  it('summarises errors in an alert, linking each to its field', () => {
    const markup = (
      errorSummary([{ message: 'Enter <email>', field: 'email' }, { message: 'Try again' }]) || ''
    ).toString();
    const alert = tags(markup, 'div')[0]!;
    expect(alert.attrs.role).toBe('alert');
    expect(byId(markup, alert.attrs['aria-labelledby']!)).toBeDefined();
    const links = tags(markup, 'a');
    expect(links.map((link) => [link.attrs.href, textOf(markup, link)])).toEqual([
      ['#field-email', 'Enter <email>'],
    ]);
    expect(textOf(markup, alert)).toContain('Try again');
    expect(errorSummary([])).toBe(false);
  });

  it('announces notices politely', () => {
    const markup = (notice('Code sent') || '').toString();
    expect(tags(markup, 'div')[0]?.attrs.role).toBe('status');
    expect(notice(undefined)).toBe(false);
  });
});
