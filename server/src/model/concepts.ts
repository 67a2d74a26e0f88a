/**
 * The registry: every resource and assertion Clockwork knows, one line each. Adding a
 * concept is one new file plus one line here; everything else derives from these.
 * The registry is read as a module namespace, whose order is alphabetical.
 */
export { FileResource } from './resources/fileResource.js';
export { DockerServiceResource } from './resources/dockerServiceResource.js';

export { HealthcheckAssert } from './assertions/healthcheckAssert.js';
export { PortAccessibleAssert } from './assertions/portAccessibleAssert.js';
export { ResponseTimeAssert } from './assertions/responseTimeAssert.js';
export { ContainerRunningAssert } from './assertions/containerRunningAssert.js';
export { ContainerHealthyAssert } from './assertions/containerHealthyAssert.js';
export { LogContainsAssert } from './assertions/logContainsAssert.js';
export { FileExistsAssert } from './assertions/fileExistsAssert.js';
export { FilePermissionsAssert } from './assertions/filePermissionsAssert.js';
export { FileSizeAssert } from './assertions/fileSizeAssert.js';
export { FileContentMatchesAssert } from './assertions/fileContentMatchesAssert.js';
export { MemoryUsageAssert } from './assertions/memoryUsageAssert.js';
export { CpuUsageAssert } from './assertions/cpuUsageAssert.js';
export { DiskUsageAssert } from './assertions/diskUsageAssert.js';
export { ProcessRunningAssert } from './assertions/processRunningAssert.js';
export { ProcessNotRunningAssert } from './assertions/processNotRunningAssert.js';
