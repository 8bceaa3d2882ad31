// A provider's long-running consumer on a live/backup broker pair, with a stock AMQP 1.0 client (rhea): TLS with
// the provider's certificate, SASL EXTERNAL; when the connection drops it reconnects to the next broker of the list
// (the backup's acceptor opens only once it has taken over) and re-attaches its receiver. Accepts each message and
// prints one JSON line per event: connected (with the port), disconnected, message (referral and delivery ids).
//
//   node amqp-failover-consumer.js CERT KEY CA ADDRESS PORT [PORT ...]
const fs = require('fs');
const tls = require('tls');
const rhea = require('rhea');

const [cert, key, ca, address, ...ports] = process.argv.slice(2);
const secure = { ca: fs.readFileSync(ca), cert: fs.readFileSync(cert), key: fs.readFileSync(key), servername: 'localhost',
  rejectUnauthorized: true };
const print = (event) => console.log(JSON.stringify(event));
let attempt = 0;
let port;

const container = rhea.create_container({ id: 'amqp-failover-consumer' });
const connection = container.connect({
  enable_sasl_external: true,
  idle_time_out: 5000,
  reconnect: true,
  initial_reconnect_delay: 100,
  max_reconnect_delay: 1000,
  connection_details: () => {
    port = Number(ports[attempt++ % ports.length]);
    return { host: 'localhost', port, options: {},
      connect: (p, host, options, callback) => tls.connect(Object.assign({ host, port: p }, secure), callback) };
  },
});
connection.open_receiver({ source: { address }, autoaccept: true });
container.on('connection_open', () => print({ event: 'connected', port }));
container.on('disconnected', () => print({ event: 'disconnected', port }));
container.on('connection_error', () => {});
container.on('receiver_error', () => {});
container.on('message', (context) => {
  const properties = context.message.application_properties || {};
  print({ event: 'message', referralId: properties.referralBusReferralId, deliveryId: properties.referralBusDeliveryId });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
