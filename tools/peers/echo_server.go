// A Go echo server from the standard library alone: io.Copy(conn, conn) per
// TCP connection, ReadFrom/WriteTo for UDP. Listens on HOST and PORT (0: the
// kernel picks; UDP then takes the same port) and prints
//
//	listening tcp 127.0.0.1:PORT
//	listening udp 127.0.0.1:PORT
//
// Usage: go run echo_server.go [HOST] [PORT]
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
)

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "echo_server.go: %s: %v\n", what, err)
	os.Exit(1)
}

func serveUDP(conn net.PacketConn) {
	buffer := make([]byte, 65536)
	for {
		n, peer, err := conn.ReadFrom(buffer)
		if err != nil {
			continue
		}
		conn.WriteTo(buffer[:n], peer)
	}
}

func main() {
	host, port := "127.0.0.1", "0"
	if len(os.Args) > 1 {
		host = os.Args[1]
	}
	if len(os.Args) > 2 {
		port = os.Args[2]
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fail("tcp", err)
	}
	bound := strconv.Itoa(listener.Addr().(*net.TCPAddr).Port)
	fmt.Printf("listening tcp %s\n", net.JoinHostPort(host, bound))
	udp, err := net.ListenPacket("udp", net.JoinHostPort(host, bound))
	if err != nil {
		fail("udp", err)
	}
	fmt.Printf("listening udp %s\n", net.JoinHostPort(host, bound))
	go serveUDP(udp)
	for {
		conn, err := listener.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			io.Copy(c, c)
			c.Close()
		}(conn)
	}
}
