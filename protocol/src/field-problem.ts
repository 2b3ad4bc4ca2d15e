/** One problem with one field of the input, as listed in `details` of a `400 validation_failed` (docs/api.md, "Errors"). */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}
