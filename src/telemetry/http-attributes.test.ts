import { describe, expect, it } from 'vitest';
import { clientAttributes, errorType, methodAttributes, serverAttributes, serverSpanName, splitHostHeader } from './http-attributes.ts';

const facts = {
  method: 'POST',
  target: '/v1/models/fraud:predict?uid=alice',
  httpVersion: '1.1',
  headers: { host: 'gw.example:8080', userAgent: 'curl/8.5.0', forwardedFor: '203.0.113.7, 10.0.0.2' },
  remoteAddress: '10.0.0.1',
  remotePort: 51234,
  localPort: 8080,
};

describe('HTTP semantic conventions', () => {
  it('a server span carries the required and recommended attributes, never the query', () => {
    expect(serverAttributes(facts, '/v1/models/{model}:predict', false)).toEqual({
      'http.request.method': 'POST',
      'url.scheme': 'http',
      'url.path': '/v1/models/fraud:predict',
      'http.route': '/v1/models/{model}:predict',
      'network.protocol.name': 'http',
      'network.protocol.version': '1.1',
      'server.address': 'gw.example',
      'server.port': 8080,
      'client.address': '10.0.0.1',
      'client.port': 51234,
      'network.peer.address': '10.0.0.1',
      'network.peer.port': 51234,
      'user_agent.original': 'curl/8.5.0',
    });
    expect(JSON.stringify(serverAttributes(facts, undefined, false))).not.toContain('alice');
  });

  it('client.address is the original client behind a trusted proxy, the peer otherwise', () => {
    const a = serverAttributes(facts, undefined, true);
    expect(a['client.address']).toBe('203.0.113.7');
    expect(a['client.port']).toBeUndefined();
    expect(a['network.peer.address']).toBe('10.0.0.1');
    expect(a['http.route']).toBeUndefined();
  });

  it('server.port: from Host, else the scheme default; without Host, the local port', () => {
    expect(serverAttributes({ ...facts, headers: { host: 'gw' } }, undefined, false)['server.port']).toBe(80);
    const noHost = serverAttributes({ ...facts, headers: {} }, undefined, false);
    expect(noHost['server.port']).toBe(8080);
    expect(noHost['server.address']).toBeUndefined();
    expect(splitHostHeader('[::1]:9000')).toEqual({ address: '::1', port: 9000 });
    expect(splitHostHeader('example.com')).toEqual({ address: 'example.com' });
  });

  it('names: {method} {http.route}, {method} without a route, HTTP and _OTHER for unknown methods', () => {
    expect(serverSpanName('POST', '/v2/models/{model}/infer')).toBe('POST /v2/models/{model}/infer');
    expect(serverSpanName('GET', undefined)).toBe('GET');
    expect(serverSpanName('FOO', '/x')).toBe('HTTP /x');
    expect(methodAttributes('FOO').attrs).toEqual({ 'http.request.method': '_OTHER', 'http.request.method_original': 'FOO' });
  });

  it('a client span: url.full without the query, server.address and server.port', () => {
    expect(clientAttributes('POST', 'http://127.0.0.1:9001/v1/models/fraud:predict?uid=bob')).toEqual({
      'http.request.method': 'POST',
      'url.full': 'http://127.0.0.1:9001/v1/models/fraud:predict',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': 9001,
      'network.protocol.version': '1.1',
    });
    expect(clientAttributes('POST', 'https://m.internal/x')['server.port']).toBe(443);
  });

  it('error.type: the error code, else the status when it is an error for the span kind', () => {
    expect(errorType('server', 404)).toBeUndefined();
    expect(errorType('server', 404, 'MODEL_NOT_FOUND')).toBe('MODEL_NOT_FOUND');
    expect(errorType('server', 503)).toBe('503');
    expect(errorType('client', 404)).toBe('404');
    expect(errorType('client', 200)).toBeUndefined();
  });
});
