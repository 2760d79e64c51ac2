/**
 * A request the site refuses on purpose (not signed in, a role short, a form without a valid
 * CSRF token): its status and a message written for the reader, which the error handler shows
 * on the error page (other errors' messages never are: they may hold paths or SQL).
 */
export class Refusal extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
