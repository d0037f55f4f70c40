/** One clear line for an admin API error. */
import type { ApiError } from './api.ts';

export function ErrorLine({ error }: { error?: ApiError }) {
  if (!error) return null;
  return (
    <p role="alert" class="error">
      {error.message} ({error.code})
    </p>
  );
}
