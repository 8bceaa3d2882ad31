// A stock AMQP 1.0 client (rhea, https://github.com/amqp/rhea) as a provider or agency would run it: TLS with the
// participant's certificate, SASL EXTERNAL. Prints one JSON line per outcome and exits 0 on success, 1 on refusal.
//
//   node amqp-probe.js receive HOST PORT CERT KEY CA ADDRESS [SELECTOR]
//   node amqp-probe.js send    HOST PORT CERT KEY CA ADDRESS FILE [PROPERTY=VALUE ...]
//   CERT and KEY may be "-" (no client certificate); PORT prefixed with "plain:" connects without TLS.
const fs = require('fs');
const rhea = require('rhea');

const [mode, host, portArg, cert, key, ca, address, ...rest] = process.argv.slice(2);
const plain = portArg.startsWith('plain:');
const options = { host, port: Number(plain ? portArg.slice(6) : portArg), reconnect: false, idle_time_out: 20000 };
if (!plain) {
  Object.assign(options, { transport: 'tls', ca: fs.readFileSync(ca), servername: 'localhost', rejectUnauthorized: true });
  if (cert !== '-') {
    Object.assign(options, { cert: fs.readFileSync(cert), key: fs.readFileSync(key), enable_sasl_external: true });
  }
}
const container = rhea.create_container({ id: 'amqp-probe' });
let done = false;
function finish(outcome, code) {
  if (done) return;
  done = true;
  console.log(JSON.stringify(outcome));
  process.exit(code);
}
setTimeout(() => finish({ event: 'timeout' }, 1), 25000);
const refused = (what) => (context) => {
  const error = (context.receiver && context.receiver.error) || (context.sender && context.sender.error)
    || (context.connection && context.connection.error) || context.error;
  finish({ event: 'refused', on: what, condition: error ? String(error.condition || error.code || error) : 'closed' }, 1);
};
container.on('connection_error', refused('connection'));
container.on('receiver_error', refused('receiver'));
container.on('sender_error', refused('sender'));
container.on('disconnected', refused('connection'));
container.on('connection_close', refused('connection'));

const connection = container.connect(options);
if (mode === 'receive') {
  const source = { address };
  if (rest[0]) source.filter = rhea.filter.selector(rest[0]);
  connection.open_receiver({ source, autoaccept: true });
  container.on('message', (context) => {
    const body = context.message.body;
    const bytes = Buffer.isBuffer(body) ? body : (body && body.content) ? body.content : Buffer.from(String(body));
    finish({ event: 'message', properties: context.message.application_properties || {}, body: bytes.toString('base64') }, 0);
  });
} else {
  const properties = {};
  rest.slice(1).forEach((pair) => { const i = pair.indexOf('='); properties[pair.slice(0, i)] = pair.slice(i + 1); });
  const payload = fs.readFileSync(rest[0]);
  let sent = false;
  container.on('sendable', (context) => {
    if (sent) return;
    sent = true;
    context.sender.send({ body: rhea.message.data_section(payload), application_properties: properties, durable: true });
  });
  container.on('accepted', () => finish({ event: 'accepted' }, 0));
  container.on('rejected', (context) => finish({ event: 'refused', on: 'delivery',
    condition: String(context.delivery.remote_state && context.delivery.remote_state.error && context.delivery.remote_state.error.condition) }, 1));
  connection.open_sender(address);
}
