import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { FieldControl } from '../forms.js';
import FormField from './FormField.svelte';

/** The attributes of each `<tag>` in the rendered HTML (ids and aria wiring are what matter here). */
function attributesOf(html: string, tag: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a): [string, string] => [
        a[1] ?? '',
        a[2] ?? '',
      ]),
    ),
  );
}
const textOf = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();

describe('FormField', () => {
  it('labels a plain input by a generated id and links nothing when there is nothing to say', () => {
    const { body } = render(FormField, { props: { label: 'Email', type: 'email' } });
    const [input] = attributesOf(body, 'input');
    const [label] = attributesOf(body, 'label');
    expect(input?.id).toMatch(/^field-/);
    expect(label?.for).toBe(input?.id);
    expect(input?.type).toBe('email');
    expect(input).not.toHaveProperty('aria-describedby');
    expect(input).not.toHaveProperty('aria-invalid');
    expect(input).not.toHaveProperty('required');
  });

  it('links the hint and the error, and marks the input invalid', () => {
    const { body } = render(FormField, {
      props: {
        label: 'Password',
        type: 'password',
        hint: 'At least 12 characters.',
        error: 'Too short: at least 12 characters.',
        autocomplete: 'new-password',
      },
    });
    const [input] = attributesOf(body, 'input');
    const ids = input?.['aria-describedby']?.split(' ') ?? [];
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => textOf(body, id))).toEqual([
      'At least 12 characters.',
      'Too short: at least 12 characters.',
    ]);
    expect(input?.['aria-invalid']).toBe('true');
    expect(input?.autocomplete).toBe('new-password');
  });

  it('says "required" beside the label, not inside it, and sets required on the control', () => {
    const { body } = render(FormField, { props: { label: 'Display name', required: true } });
    const [input] = attributesOf(body, 'input');
    expect(input).toHaveProperty('required');
    expect(body).toMatch(/<label[^>]*>Display name<\/label>/);
    expect(body).toMatch(/<span class="required[^"]*" aria-hidden="true">required<\/span>/);
  });

  it('hands a select (or any control) the same attributes through its snippet', () => {
    const seen: FieldControl[] = [];
    const control = createRawSnippet((attrs: () => FieldControl) => {
      seen.push(attrs());
      return {
        render: () =>
          `<select id="${attrs().id}" aria-describedby="${attrs()['aria-describedby']}"></select>`,
      };
    });
    const { body } = render(FormField, {
      props: { label: 'Country', error: 'Choose one of the options.', required: true, control },
    });
    const [label] = attributesOf(body, 'label');
    expect(seen[0]?.id).toBe(label?.for);
    expect(seen[0]?.['aria-invalid']).toBe('true');
    expect(seen[0]?.required).toBe(true);
    expect(textOf(body, seen[0]?.['aria-describedby'] ?? '')).toBe('Choose one of the options.');
    expect(body).not.toContain('<input');
  });

  it('puts a checkbox group under a legend, the fieldset described by its error', () => {
    const choices = createRawSnippet(() => ({
      render: () => '<label class="choice"><input type="checkbox" value="funding"> Funding</label>',
    }));
    const { body } = render(FormField, {
      props: { label: 'Areas of expertise', error: 'Too many: at most 5.', choices },
    });
    const [fieldset] = attributesOf(body, 'fieldset');
    expect(body).toMatch(/<legend>Areas of expertise/);
    expect(textOf(body, fieldset?.['aria-describedby'] ?? '')).toBe('Too many: at most 5.');
    expect(body).not.toContain('<label for=');
  });

  it('renders a single checkbox inside its label', () => {
    const { body } = render(FormField, {
      props: { label: 'I understand that this cannot be undone', type: 'checkbox', checked: true },
    });
    expect(body).toMatch(
      /<label class="choice[^"]*"><input[^>]*type="checkbox"[^>]*> I understand that this cannot be undone<\/label>/,
    );
    expect(attributesOf(body, 'input')[0]).toHaveProperty('checked');
  });
});
