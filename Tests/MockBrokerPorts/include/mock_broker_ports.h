#ifndef MOCK_BROKER_PORTS_H
#define MOCK_BROKER_PORTS_H

/// How many listening sockets of librdkafka's mock brokers this process has placed below the
/// kernel's ephemeral port range (see mock_broker_ports.c).
long mock_broker_ports_placed(void);

/// The lowest port of the kernel's ephemeral range, or -1 when it cannot be read.
int mock_broker_ports_ephemeral_low(void);

#endif
