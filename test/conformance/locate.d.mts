export declare const REPO_ROOT: string;
export declare const CONFORMANCE_ENV: 'MESHSPEC_CONFORMANCE_DIR';
export declare const DEFAULT_CONFORMANCE_DIR: string;
export declare class ConformanceDataError extends Error {}
export declare function conformanceDir(env?: NodeJS.ProcessEnv): string;
export declare function listedFiles(readmeText: string): string[];
export declare function readConformanceText(relPath: string, env?: NodeJS.ProcessEnv): string;
