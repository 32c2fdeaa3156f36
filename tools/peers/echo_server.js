// A Node.js echo server, written as the Node documentation's idiom would have
// it: TCP through socket.pipe(socket), UDP through dgram. Listens on HOST and
// PORT (0: the kernel picks; UDP then takes the same port) and prints
//   listening tcp 127.0.0.1:PORT
//   listening udp 127.0.0.1:PORT
// Usage: node echo_server.js [HOST] [PORT]
'use strict';
const net = require('net');
const dgram = require('dgram');

const host = process.argv[2] || '127.0.0.1';
const wanted = Number(process.argv[3] || 0);

function fail(what, error) {
  console.error(`echo_server.js: ${what}: ${error.message}`);
  process.exit(1);
}

const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.on('error', (error) => fail('tcp', error));
server.listen(wanted, host, () => {
  const port = server.address().port;
  console.log(`listening tcp ${host}:${port}`);
  const udp = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('error', (error) => fail('udp', error));
  udp.on('message', (message, peer) => udp.send(message, peer.port, peer.address));
  udp.bind(port, host, () => console.log(`listening udp ${host}:${port}`));
});
