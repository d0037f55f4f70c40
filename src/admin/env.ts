/** The hono environment of the admin app: who is calling. */
export interface AdminEnv {
  Variables: {
    /** the name of the token that authenticated this call */
    actor: string;
  };
}
