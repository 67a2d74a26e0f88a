/**
 * The registry: every resource, assertion and host Clockwork knows, one line each. Adding a
 * concept is one new file plus one line here; everything else derives from these.
 * The registry is read as a module namespace, whose order is alphabetical.
 */
export { FileResource } from './resources/fileResource.js';
export { DockerServiceResource } from './resources/dockerServiceResource.js';
export { DirectoryResource } from './resources/directoryResource.js';
export { TemplateFileResource } from './resources/templateFileResource.js';
export { GitRepoResource } from './resources/gitRepoResource.js';
export { UserResource } from './resources/userResource.js';
export { GroupResource } from './resources/groupResource.js';
export { PackageResource } from './resources/packageResource.js';
export { SymlinkResource } from './resources/symlinkResource.js';

export { SshHost } from './hosts/sshHost.js';

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
export { CommandAssert } from './assertions/commandAssert.js';
export { HttpAssert } from './assertions/httpAssert.js';
export { UserExistsAssert } from './assertions/userExistsAssert.js';
export { GroupExistsAssert } from './assertions/groupExistsAssert.js';
export { PackageInstalledAssert } from './assertions/packageInstalledAssert.js';
export { PortListeningAssert } from './assertions/portListeningAssert.js';
export { DnsResolvesAssert } from './assertions/dnsResolvesAssert.js';
export { FileOwnerAssert } from './assertions/fileOwnerAssert.js';
export { KernelParamAssert } from './assertions/kernelParamAssert.js';
