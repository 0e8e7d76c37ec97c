/**
 * The store contract suite: JUnit 5 tests, against {@code org.postbus.api.store} alone, that
 * every mail store must pass. A store bundle extends
 * {@link org.postbus.store.contract.MailStoreContract} in its tests and supplies a
 * {@link org.postbus.store.contract.StoreFixture}. Used on a test class path only, so nothing is
 * exported.
 */
package org.postbus.store.contract;
