// The duration parser lives in core now (the CLI's --timeout uses it too); kept here so the plugin's
// modules import it from one place.
export { durationMs, parseDuration } from '@meshspec/core/plugin';
