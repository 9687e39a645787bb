import { version } from "../../package.json";

/** The service version (services/api/package.json), compiled into the build. */
export const SERVICE_VERSION: string = version;
