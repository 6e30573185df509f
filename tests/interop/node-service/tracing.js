'use strict';
// OpenTelemetry set-up; must be loaded before node:http so that the http instrumentation can patch it.
//   OTEL_SERVICE_NAME                    service.name of the exported spans (default "interop-node-service")
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT   full OTLP/HTTP (protobuf) traces URL, e.g. http://127.0.0.1:4318/v1/traces
const { diag, DiagConsoleLogger, DiagLogLevel } = require('@opentelemetry/api');
const { CompositePropagator, W3CTraceContextPropagator, W3CBaggagePropagator } = require('@opentelemetry/core');
const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const serviceName = process.env.OTEL_SERVICE_NAME || 'interop-node-service';
const tracesUrl = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
if (!tracesUrl) {
  console.error('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set');
  process.exit(2);
}

const provider = new NodeTracerProvider({
  // telemetry.sdk.* (language "nodejs") from the SDK's default resource, plus our service name.
  resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
  // One export per finished span: the tests read the backend right after each request.
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
});
provider.register({
  propagator: new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  }),
});

registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/healthz' })],
});

module.exports = { provider, serviceName, tracesUrl };
