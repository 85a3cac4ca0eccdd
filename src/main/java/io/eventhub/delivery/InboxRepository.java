package io.eventhub.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The inbox: which events a service has already handled, keyed by (service, event id) in the {@code
 * inbox} table (in the data source named {@code dataSource} unless one is set). Used by the
 * idempotent consumer EIP so a redelivered event has no second effect. Routes whose effect is in
 * the database write the same row in their own transaction.
 */
public class InboxRepository extends ServiceSupport
    implements IdempotentRepository, CamelContextAware {

  private CamelContext camelContext;
  private DataSource dataSource;
  private String service;

  public InboxRepository() {}

  public InboxRepository(DataSource dataSource, String service) {
    this.dataSource = dataSource;
    this.service = service;
  }

  public void setDataSource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getService() {
    return service;
  }

  @Override
  public boolean add(String eventId) {
    return update(
        "insert into inbox (service, event_id) values (?, ?) on conflict do nothing", eventId);
  }

  @Override
  public boolean contains(String eventId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from inbox where service = ? and event_id = ?")) {
      ps.setString(1, service);
      ps.setString(2, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("inbox look-up failed", e);
    }
  }

  @Override
  public boolean remove(String eventId) {
    return update("delete from inbox where service = ? and event_id = ?", eventId);
  }

  @Override
  public boolean confirm(String eventId) {
    return true;
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("the inbox is never cleared by a route");
  }

  private boolean update(String sql, String eventId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, service);
      ps.setString(2, eventId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("inbox update failed", e);
    }
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  /** Without a data source set, the inbox uses the bean named {@code dataSource}. */
  @Override
  protected void doStart() {
    if (dataSource == null && camelContext != null) {
      dataSource = camelContext.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }
    if (dataSource == null || service == null) {
      throw new IllegalStateException("an inbox needs a dataSource and a service name");
    }
  }
}
