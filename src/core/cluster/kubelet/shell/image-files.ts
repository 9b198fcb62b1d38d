// The files an image adds on top of its distribution: web roots, server configs, its programs.
// The web servers read these too, without building the container's whole tree.
import type { ImageInfo } from '../images.js';
import { compareVersions } from '../images/tags.js';

export interface OverlayFile {
  data: string;
  mode?: number;
  /** An executable: the program it runs. */
  program?: string;
  /** A symlink to this target instead of a file. */
  link?: string;
}

const cache = new WeakMap<ImageInfo, Record<string, OverlayFile>>();

/** Path → file for everything the image adds; computed once per image. */
export function imageFiles(image: ImageInfo): Record<string, OverlayFile> {
  let files = cache.get(image);
  if (!files) {
    files = { ...programFiles(image), ...overlay(image) };
    cache.set(image, files);
  }
  return files;
}

/** Where an image's programs live, so `which nginx` and `ls -l /usr/sbin` show them. */
const PROGRAM_PATHS: Record<string, string> = {
  nginx: '/usr/sbin/nginx',
  'docker-entrypoint.sh': '/usr/local/bin/docker-entrypoint.sh',
  'redis-server': '/usr/local/bin/redis-server',
  'redis-cli': '/usr/local/bin/redis-cli',
  'httpd-foreground': '/usr/local/bin/httpd-foreground',
  httpd: '/usr/local/apache2/bin/httpd',
  node: '/usr/local/bin/node',
  python3: '/usr/local/bin/python3',
  mysqld: '/usr/sbin/mysqld',
  mongod: '/usr/bin/mongod',
  memcached: '/usr/local/bin/memcached',
  traefik: '/usr/local/bin/traefik',
  kubectl: '/opt/bitnami/kubectl/bin/kubectl',
};

function programFiles(image: ImageInfo): Record<string, OverlayFile> {
  const files: Record<string, OverlayFile> = {};
  const add = (path: string, program: string) => (files[path] = { data: `\x7fELF ${program}\n`, mode: 0o755, program });
  for (const argv0 of [image.entrypoint[0], image.cmd[0], image.server?.program]) {
    if (!argv0) continue;
    if (argv0.startsWith('/')) add(argv0, argv0.slice(argv0.lastIndexOf('/') + 1));
    else if (PROGRAM_PATHS[argv0]) add(PROGRAM_PATHS[argv0], argv0);
  }
  if (image.server?.program === 'redis-server') add(PROGRAM_PATHS['redis-cli'], 'redis-cli');
  if (image.server?.program === 'httpd-foreground') add(PROGRAM_PATHS.httpd, 'httpd');
  if (image.server?.program === 'postgres') add(`/usr/lib/postgresql/${image.version.split('.')[0]}/bin/postgres`, 'postgres');
  if (image.cmd[0] === 'python3') files['/usr/local/bin/python'] = { data: '', link: 'python3' };
  if (image.server?.program === 'node' && !files[PROGRAM_PATHS.node]) add(PROGRAM_PATHS.node, 'node');
  return files;
}

function overlay(image: ImageInfo): Record<string, OverlayFile> {
  switch (image.overlay) {
    case 'nginx':
      return nginxFiles(image.version, nginxWelcome(image.version));
    case 'hello-kiamol':
      return nginxFiles(image.version, HELLO_KIAMOL);
    case 'httpd':
      return {
        '/usr/local/apache2/htdocs/index.html': { data: '<html><body><h1>It works!</h1></body></html>\n' },
        '/usr/local/apache2/conf/httpd.conf': { data: 'ServerRoot "/usr/local/apache2"\nListen 80\nUser www-data\nGroup www-data\nDocumentRoot "/usr/local/apache2/htdocs"\nErrorLog /proc/self/fd/2\nCustomLog /proc/self/fd/1 common\n' },
      };
    case 'node-hello':
      return {
        '/server.js': {
          data: "var http = require('http');\n\nvar handleRequest = function(request, response) {\n  console.log('Received request for URL: ' + request.url);\n  response.writeHead(200);\n  response.end('Hello Kubernetes!');\n};\nvar www = http.createServer(handleRequest);\nwww.listen(8080);\n",
        },
      };
    default:
      return {};
  }
}

function nginxFiles(version: string, index: string): Record<string, OverlayFile> {
  const modern = compareVersions(version, '1.19') >= 0;
  const files: Record<string, OverlayFile> = {
    '/usr/share/nginx/html/index.html': { data: index },
    '/usr/share/nginx/html/50x.html': { data: nginx50x(version) },
    '/etc/nginx/nginx.conf': { data: NGINX_CONF },
    '/etc/nginx/conf.d/default.conf': { data: DEFAULT_CONF },
    '/etc/nginx/mime.types': { data: MIME_TYPES },
    '/var/log/nginx/access.log': { data: '', link: '/dev/stdout' },
    '/var/log/nginx/error.log': { data: '', link: '/dev/stderr' },
    '/var/cache/nginx/.keep': { data: '' },
  };
  if (modern) {
    files['/docker-entrypoint.sh'] = { data: '#!/bin/sh\n# vim:sw=4:ts=4:et\n', mode: 0o775, program: 'docker-entrypoint.sh' };
    for (const s of ['10-listen-on-ipv6-by-default.sh', '15-local-resolvers.envsh', '20-envsubst-on-templates.sh', '30-tune-worker-processes.sh']) {
      files[`/docker-entrypoint.d/${s}`] = { data: '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n', mode: 0o775 };
    }
  }
  return files;
}

/** The style block of nginx's own pages: the colour-scheme line arrived in 1.23. */
function nginxPageStyle(version: string): string {
  return compareVersions(version, '1.23') >= 0
    ? 'html { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n'
    : '    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n';
}

/** The default page, as nginx ships it. */
export function nginxWelcome(version: string): string {
  const style = nginxPageStyle(version);
  return `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
${style}</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;
}

function nginx50x(version: string): string {
  const style = nginxPageStyle(version);
  return `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
${style}</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;
}

const HELLO_KIAMOL = `<html>
  <body>
    <h1>
      Hello from Chapter 2!
    </h1>
    <h2>
      This is
      <a href="https://www.manning.com/books/learn-kubernetes-in-a-month-of-lunches">Learn Kubernetes in a Month of Lunches</a>.
    </h2>
  </body>
</html>
`;

const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

const DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

const MIME_TYPES = `
types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/xml                                         xml;
    image/gif                                        gif;
    image/jpeg                                       jpeg jpg;
    application/javascript                           js;
    text/plain                                       txt;
    image/png                                        png;
    image/svg+xml                                    svg svgz;
    application/json                                 json;
    application/octet-stream                         bin exe dll;
}
`;
