// A web service in a Docker container, with the checks that prove it serves.
// Run: npx clockwork plan --dir examples/docker-service
import {
  ContainerRunningAssert,
  DockerServiceResource,
  HealthcheckAssert,
  LogContainsAssert,
  PortAccessibleAssert,
  ResponseTimeAssert,
} from 'clockwork';

export default [
  new DockerServiceResource({
    name: 'clockwork-demo',
    description: 'A lightweight web server serving a static page',
    image: 'nginx:1.27-alpine',
    ports: ['127.0.0.1:8080:80'],
    assertions: [
      new ContainerRunningAssert({}),
      new PortAccessibleAssert({ port: 8080 }),
      new HealthcheckAssert({ url: 'http://localhost:8080', expectedStatus: 200 }),
      new ResponseTimeAssert({ url: 'http://localhost:8080', maxMs: 200 }),
      new LogContainsAssert({ pattern: 'start worker process|Configuration complete', lines: 100 }),
    ],
  }),
];
