// The stack meshspec ships with. Plugin modules are light at import time (schemas and step factories);
// heavy work happens inside steps.
import { ingressPlugin } from '@meshspec/plugin-ingress';
import { kindPlugin } from '@meshspec/plugin-kind';
import { kwokPlugin } from '@meshspec/plugin-kwok';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { smiPlugin } from '@meshspec/plugin-smi';
import { workloadsPlugin } from '@meshspec/plugin-workloads';
import type { Plugin } from '@meshspec/core';

export const builtinPlugins: readonly Plugin[] = [
  kindPlugin,
  kwokPlugin,
  metallbPlugin,
  linkerdPlugin,
  workloadsPlugin,
  smiPlugin,
  ingressPlugin,
] as Plugin[];
