// nginx's configuration read as nginx reads it: the [emerg] messages for what it refuses, the
// ports its servers listen on, and which location answers a URI.
import { describe, expect, it } from 'vitest';
import { containerFs } from '../../../../src/core/cluster/kubelet/shell/index.js';
import { Emerg, loadConfig, portsOf } from '../../../../src/core/cluster/kubelet/nginx-conf.js';
import { pickLocation } from '../../../../src/core/cluster/kubelet/servers-nginx.js';
import { image, START } from './shell/support.js';

function withDefaultConf(body: string) {
  const fs = containerFs({ image: image('nginx:1.27'), pod: { hostname: 'web', podIP: '10.244.1.7', namespace: 'default' }, now: () => START });
  fs.writeFile('/etc/nginx/conf.d/default.conf', body);
  return fs;
}

function emerg(body: string): string {
  try {
    loadConfig(withDefaultConf(body));
  } catch (e) {
    if (e instanceof Emerg) return e.message;
    throw e;
  }
  return '';
}

describe('nginx configuration', () => {
  it('listens on 80 as the image ships, and where a conf.d server says', () => {
    expect(portsOf(loadConfig(containerFs({ image: image('nginx:1.27'), pod: { hostname: 'web', podIP: '10.244.1.7', namespace: 'default' }, now: () => START })))).toEqual([80]);
    expect(portsOf(loadConfig(withDefaultConf('server { listen 8080; listen [::]:8080; }\nserver { listen 127.0.0.1:9000 default_server; }\n')))).toEqual([8080, 9000]);
  });

  it.each([
    ['server {\n    lisen 8080;\n}\n', 'unknown directive "lisen" in /etc/nginx/conf.d/default.conf:2'],
    ['server {\n    listen 8080\n    server_name a;\n}\n', 'invalid parameter "server_name" in /etc/nginx/conf.d/default.conf:2'],
    ['server {\n    listen 80;\n', 'unexpected end of file, expecting "}" in /etc/nginx/conf.d/default.conf:3'],
    ['server { listen 80; }\n}\n', 'unexpected "}" in /etc/nginx/conf.d/default.conf:2'],
    ['http {\n    server { listen 80; }\n}\n', '"http" directive is not allowed here in /etc/nginx/conf.d/default.conf:1'],
    ['server {\n    location / { listen 80; }\n}\n', '"listen" directive is not allowed here in /etc/nginx/conf.d/default.conf:2'],
    ['server {\n    location / { return abc; }\n}\n', 'invalid return code "abc" in /etc/nginx/conf.d/default.conf:2'],
    ['server {\n    location / { proxy_pass http://nowhere:8080; }\n}\n', 'host not found in upstream "nowhere:8080" in /etc/nginx/conf.d/default.conf:2'],
    ["server {\n    location / { return 200 'unterminated; }\n}\n", 'unexpected end of file, expecting ";" or "}" in /etc/nginx/conf.d/default.conf:4'],
  ])('refuses %j with nginx\'s own [emerg] message', (body, message) => {
    expect(emerg(body)).toBe(message);
  });

  it('picks an exact location first, then ^~, then the first regex, then the longest prefix', () => {
    const config = loadConfig(withDefaultConf('server {\n  location / { }\n  location /images/ { }\n  location ^~ /static/ { }\n  location ~* \\.(png|jpg)$ { }\n  location = /healthz { }\n}\n'));
    const locs = config.servers[0].locations;
    const which = (uri: string) => {
      const l = pickLocation(locs, uri);
      return l ? `${l.modifier}${l.path}` : undefined;
    };
    expect(which('/healthz')).toBe('=/healthz');
    expect(which('/static/a.png')).toBe('^~/static/');
    expect(which('/images/a.PNG')).toBe('~*\\.(png|jpg)$');
    expect(which('/images/a.txt')).toBe('/images/');
    expect(which('/other')).toBe('/');
  });
});
