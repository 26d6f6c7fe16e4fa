import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { renderKustomize, type K8sObject } from '../deploy/render-kustomize.js';
import { E2E_LABEL, writeE2eOverlay } from './e2e-overlay.js';
import { readK8sE2eSettings, splitImage } from './k8s-settings.js';
import { forwardedPort } from './port-forward.js';

const REPO = resolve(import.meta.dirname, '../..');

describe('npm run test:k8s settings', () => {
  it('k8s e2e - unset settings: no context to deploy into, the shipped image, the e2e namespace, the host network', () => {
    expect(readK8sE2eSettings({})).toEqual({
      context: null,
      image: 'meshmon:latest',
      namespace: 'meshmon-e2e',
      overlay: 'host-network',
    });
  });

  it('k8s e2e - every bad setting is named with its rule, all at once', () => {
    expect(() =>
      readK8sE2eSettings({
        MESHMON_K8S_IMAGE: 'Meshmon Latest',
        MESHMON_K8S_NAMESPACE: 'kube_system',
        MESHMON_K8S_OVERLAY: 'overlay',
      }),
    ).toThrow(
      'MESHMON_K8S_IMAGE must be an image reference (lower-case letters, digits and . _ - / : @) (got "Meshmon Latest"); ' +
        'MESHMON_K8S_NAMESPACE must be a DNS-1123 label (at most 63 lower-case letters, digits and -) (got "kube_system"); ' +
        'MESHMON_K8S_OVERLAY must be host-network or pod-network (got "overlay")',
    );
  });

  it.each([
    ['meshmon:latest', { newName: 'meshmon', newTag: 'latest' }],
    ['meshmon', { newName: 'meshmon' }],
    ['registry.example:5000/team/meshmon', { newName: 'registry.example:5000/team/meshmon' }],
    [
      'registry.example:5000/meshmon:1.2',
      { newName: 'registry.example:5000/meshmon', newTag: '1.2' },
    ],
    ['meshmon@sha256:abc', { newName: 'meshmon', digest: 'sha256:abc' }],
  ])('k8s e2e - image %s is split into name and tag or digest', (image, expected) => {
    expect(splitImage(image)).toEqual(expected);
  });

  it('k8s e2e - the local port is read from kubectl port-forward output, and only from it', () => {
    expect(
      forwardedPort(
        'Forwarding from 127.0.0.1:41234 -> 8080\nForwarding from [::1]:41234 -> 8080\n',
      ),
    ).toBe(41234);
    expect(forwardedPort('error: unable to forward port because pod is not running.')).toBeNull();
  });
});

describe('the test:k8s overlay, rendered by kubectl kustomize', () => {
  // Inside the checkout: kustomize takes the shipped overlay by relative path only.
  mkdirSync(join(REPO, '.tmp'), { recursive: true });
  const folder = mkdtempSync(join(REPO, '.tmp', 'k8s-e2e-spec-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const tokens = new Map<string, string>();
  const render = (overlay: 'host-network' | 'pod-network'): K8sObject[] => {
    const dir = join(folder, overlay);
    const settings = {
      context: 'test',
      image: 'registry.example:5000/meshmon:1.2',
      namespace: 'mm-test',
      overlay,
    };
    const { credentials } = writeE2eOverlay(dir, REPO, settings);
    tokens.set(overlay, credentials.gatewayToken);
    return renderKustomize(dir);
  };

  it.each(['host-network', 'pod-network'] as const)(
    "k8s e2e - %s: everything in the test namespace, labelled, with the chosen image and this run's token",
    (overlay) => {
      const objects = render(overlay);
      const shipped = renderKustomize(join(REPO, 'k8s', 'overlays', overlay));
      // The same objects as the shipped overlay (the Namespace renamed, checked below).
      const names = (list: K8sObject[]) =>
        list
          .filter((object) => object.kind !== 'Namespace')
          .map((object) => `${object.kind}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`)
          .sort();
      expect(names(objects)).toEqual(names(shipped));
      const namespaces = objects.filter((object) => object.kind === 'Namespace');
      expect(namespaces.map((object) => object.metadata.name)).toEqual(['mm-test']);
      for (const object of objects) {
        if (object.kind !== 'Namespace')
          expect(`${object.kind} ${object.metadata.namespace}`).toBe(`${object.kind} mm-test`);
        expect((object.metadata.labels as Record<string, string>)[E2E_LABEL.key]).toBe(
          E2E_LABEL.value,
        );
      }
      const images = objects.flatMap((object) =>
        [...JSON.stringify(object).matchAll(/"image":"([^"]+)"/g)].map((match) => match[1]),
      );
      expect(images.filter((image) => image.includes('meshmon'))).not.toHaveLength(0);
      expect(
        images.filter(
          (image) => image.includes('meshmon') && image !== 'registry.example:5000/meshmon:1.2',
        ),
      ).toEqual([]);
      const secret = objects.find(
        (object) => object.kind === 'Secret' && object.metadata.name.startsWith('meshmon-secrets'),
      );
      const data = (secret as unknown as { data: Record<string, string> }).data;
      expect(Buffer.from(data['gateway-token'], 'base64').toString()).toBe(
        `${tokens.get(overlay)}\n`,
      );
      expect(Object.keys(data).sort()).toEqual([
        'gateway-token',
        'redis-password',
        'redis-users.acl',
      ]);
    },
  );
});
