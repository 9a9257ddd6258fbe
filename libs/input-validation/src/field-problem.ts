/** One invalid field of a request or record, by path (`items.0.amount`), with every problem found in it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}
