import { DEFAULT_INFLUX_PORT, influxEndpoint, shownInfluxUrl } from './influx-endpoint.js';

describe(influxEndpoint.name, () => {
  it.each([
    ['http://127.0.0.1:8086', { host: '127.0.0.1', port: 8086, protocol: 'http' }],
    ['http://influx', { host: 'influx', port: DEFAULT_INFLUX_PORT, protocol: 'http' }],
    ['https://influx', { host: 'influx', port: DEFAULT_INFLUX_PORT, protocol: 'https' }],
    ['https://[::1]:9999/', { host: '::1', port: 9999, protocol: 'https' }],
    [
      'http://writer:p%40ss@influx:8086',
      { host: 'influx', port: 8086, protocol: 'http', username: 'writer', password: 'p@ss' },
    ],
  ])('influx endpoint - %s', (url, endpoint) => {
    expect(influxEndpoint(url)).toEqual(endpoint);
  });

  it('influx endpoint - given credentials win over those in the URL', () => {
    expect(
      influxEndpoint('http://a:b@influx', { username: 'reader', password: 'secret' }),
    ).toMatchObject({ username: 'reader', password: 'secret' });
  });

  it('influx endpoint - refuses a URL that is no http(s) URL, naming the scheme', () => {
    expect(() => influxEndpoint('udp://influx:8089')).toThrow(/http\(s\).*got udp:/);
  });

  it('influx endpoint - the URL as it may be logged hides the password', () => {
    expect(shownInfluxUrl('http://writer:secret@influx:8086/')).toBe(
      'http://writer:***@influx:8086/',
    );
    expect(shownInfluxUrl('http://influx:8086')).toBe('http://influx:8086/');
  });
});
