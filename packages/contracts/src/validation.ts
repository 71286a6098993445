import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** One problem with one field, in the shape every 4xx body and dead-letter reason uses. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `child.dateOfBirth`; `(root)` for the whole value. */
  field: string;
  problem: string;
}

type Validator = ReturnType<typeof Compile>;
const compiled = new WeakMap<TSchema, Validator>();

function validatorFor(schema: TSchema): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

function pointerToField(pointer: string): string {
  const field = pointer.replace(/^\//, '').split('/').join('.');
  return field === '' ? '(root)' : field;
}

/** Validates `value` against `schema`; returns the problems, empty when valid. */
export function findProblems(schema: TSchema, value: unknown): FieldProblem[] {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return [];
  const problems: FieldProblem[] = [];
  for (const error of validator.Errors(value)) {
    // TypeBox reports an unknown property twice (as `schema is false` and as the parent's
    // additionalProperties); keep the one that names the property.
    if (error.keyword === 'boolean') continue;
    if (error.keyword === 'additionalProperties') {
      const names = (error.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      for (const name of names) {
        const parent = pointerToField(error.instancePath);
        problems.push({
          field: parent === '(root)' ? name : `${parent}.${name}`,
          problem: 'is not an allowed field',
        });
      }
      continue;
    }
    if (error.keyword === 'required') {
      const names = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      for (const name of names) {
        const parent = pointerToField(error.instancePath);
        problems.push({ field: parent === '(root)' ? name : `${parent}.${name}`, problem: 'is required' });
      }
      continue;
    }
    problems.push({ field: pointerToField(error.instancePath), problem: error.message });
  }
  return problems;
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field} ${p.problem}`).join('; ');
}
