// What the images' HTTP servers share when they answer: reason phrases, content types by
// extension, the Date format, a reply with its length, and nginx's error page.
import type { HttpRequest, HttpResponse } from './shell/types.js';

export const STATUS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Moved Temporarily', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 418: "I'm a teapot", 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out',
};

export const MIME: Record<string, string> = { html: 'text/html', htm: 'text/html', txt: 'text/plain', css: 'text/css', js: 'application/javascript', json: 'application/json', xml: 'text/xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml' };

export const httpDate = (ms: number) => new Date(ms).toUTCString();

export function reply(status: number, body: string | Buffer, headers: Record<string, string>, req: HttpRequest): HttpResponse {
  const len = Buffer.byteLength(body);
  return { status, statusText: STATUS[status] ?? '', headers: { ...headers, 'Content-Length': String(len) }, body: req.method === 'HEAD' ? '' : body };
}

/** nginx's built-in page for an error or redirect status. */
export function nginxError(status: number, server: string): string {
  const title = `${status} ${STATUS[status] ?? ''}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
}
