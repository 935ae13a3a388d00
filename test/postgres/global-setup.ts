// One cluster for the whole `npm run test:postgres` run; each test makes its own database in it.
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './cluster.js';

let cluster: Cluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startCluster({ fast: true });
  project.provide('postgresUrl', cluster.url);
  process.env.STOWAGE_TEST_POSTGRES = cluster.url;
}

export function teardown(): void {
  cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
