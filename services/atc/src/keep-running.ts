/**
 * What a command returns when it has started a long-running role: the process must not exit when the
 * command's promise resolves. The role keeps it alive; its shutdown protocol (SIGTERM, drain) exits it.
 * @module
 */
export const KEEP_RUNNING = Symbol('keep running');

export type CommandResult = number | typeof KEEP_RUNNING;
