"""A Python asyncio echo server: asyncio.start_server with a read/write/drain
loop for TCP, a DatagramProtocol for UDP. Listens on HOST and PORT (0: the
kernel picks; UDP then takes the same port) and prints
  listening tcp 127.0.0.1:PORT
  listening udp 127.0.0.1:PORT
Usage: python3 echo_asyncio.py [HOST] [PORT]
"""
import asyncio
import sys


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


class DatagramEcho(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def main(host: str, port: int) -> None:
    server = await asyncio.start_server(echo, host, port)
    port = server.sockets[0].getsockname()[1]
    print(f"listening tcp {host}:{port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(DatagramEcho, local_addr=(host, port))
    print(f"listening udp {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1",
                         int(sys.argv[2]) if len(sys.argv) > 2 else 0))
    except KeyboardInterrupt:
        pass
