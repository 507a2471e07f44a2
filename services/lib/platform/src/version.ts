import { readEnv } from './config';

/**
 * The build's version: ATC_VERSION is stamped by the image build (the git tag or commit); a local
 * checkout reports the package version.
 */
export const ATC_VERSION: string = readEnv('ATC_VERSION') ?? '0.1.0-dev';
