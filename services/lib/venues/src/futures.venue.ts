/**
 * The futures market on ProjectX (TopstepX), the venue that can reconcile: the client order id is
 * the order's `customTag`, which the gateway keeps unique per account, and `Order/search` finds it.
 * Quotes come from the futures price relay. Instruments are roots (MES, MNQ, ES, NQ); the active
 * contract is resolved through `Contract/search`, never hard-coded.
 * @module
 */
import Decimal from 'decimal.js';
import type { NebulaClient } from './nebula.client';
import {
  PROJECTX_ORDER_TYPE,
  PROJECTX_SIDE,
  ProjectXRejectedError,
  type ProjectXClient,
  type ProjectXContract,
  type ProjectXOrder,
} from './projectx.client';
import {
  VenueRejectedError,
  type LookupResult,
  type OrderIntent,
  type Venue,
  type VenueOrder,
  type VenueOrderStatus,
  type VenuePosition,
  type VenueQuote,
} from './venue';

const STATUS: Readonly<Record<number, VenueOrderStatus>> = {
  1: 'open',
  2: 'filled',
  3: 'cancelled',
  4: 'expired',
  5: 'rejected',
  6: 'pending',
};

/** A contract's name: its root, a month code, and the year's last one or two digits (MESZ6, NQU5). */
const CONTRACT_NAME = /^([A-Z0-9]+?)[FGHJKMNQUVXZ]\d{1,2}$/;

export interface ProjectXFuturesVenueOptions {
  readonly client: ProjectXClient;
  readonly prices: NebulaClient;
  /** How far back a lookup searches; default 7 days. */
  readonly lookbackMs?: number;
  /** The errorCode the gateway answers for a duplicate customTag, if known (the simulator uses 2). */
  readonly duplicateTagErrorCode?: number;
  readonly now?: () => number;
}

export class ProjectXFuturesVenue implements Venue {
  readonly name = 'projectx';
  readonly market = 'futures' as const;
  private readonly contracts = new Map<string, ProjectXContract>();

  constructor(private readonly options: ProjectXFuturesVenueOptions) {}

  private async contract(root: string): Promise<ProjectXContract> {
    const cached = this.contracts.get(root);
    if (cached) return cached;
    const found = await this.options.client.activeContract(root);
    this.contracts.set(root, found);
    return found;
  }

  /**
   * The root (MES) of a contract id (CON.F.US.MES.Z26), which is what the ledger holds. A fresh
   * process has traded nothing, so an unknown id is looked up at the gateway (`Contract/searchById`)
   * and its root read from the contract's name (MESZ6: root, month code, year digit) — never from
   * the id, whose symbol is the gateway's (ENQ for NQ). An id the gateway does not know stays as is.
   */
  private async rootOf(contractId: string): Promise<string> {
    for (const [root, c] of this.contracts) if (c.id === contractId) return root;
    const contract = await this.options.client.contractById(contractId);
    const root = contract ? CONTRACT_NAME.exec(contract.name)?.[1] : undefined;
    if (!contract || !root) return contractId;
    this.contracts.set(root, contract);
    return root;
  }

  private async toVenueOrder(order: ProjectXOrder, clientOrderId: string): Promise<VenueOrder> {
    const filled = new Decimal(order.fillVolume);
    const status = STATUS[order.status] ?? 'pending';
    return {
      clientOrderId,
      venueOrderId: String(order.id),
      instrument: await this.rootOf(order.contractId),
      side: order.side === PROJECTX_SIDE.buy ? 'buy' : 'sell',
      quantity: String(order.size),
      status: status === 'open' && filled.gt(0) ? 'partially_filled' : status,
      filledQuantity: filled.toString(),
      ...(order.filledPrice !== null && filled.gt(0)
        ? { averagePrice: new Decimal(order.filledPrice).toString() }
        : {}),
    };
  }

  async submitOrder(intent: OrderIntent): Promise<VenueOrder> {
    const size = new Decimal(intent.quantity);
    if (!size.isInteger() || size.lte(0))
      throw new VenueRejectedError(this.name, 'size must be a positive whole number');
    const contract = await this.contract(intent.instrument);
    try {
      await this.options.client.placeOrder({
        contractId: contract.id,
        type: PROJECTX_ORDER_TYPE[intent.orderType],
        side: PROJECTX_SIDE[intent.side],
        size: size.toNumber(),
        limitPrice: intent.limitPrice ? Number(intent.limitPrice) : null,
        stopPrice: intent.stopPrice ? Number(intent.stopPrice) : null,
        customTag: intent.clientOrderId,
      });
    } catch (error) {
      // A duplicate customTag proves the first submission was accepted: report that order.
      if (!(
        error instanceof ProjectXRejectedError &&
        error.errorCode === (this.options.duplicateTagErrorCode ?? 2)
      ))
        throw error;
    }
    const found = await this.lookupOrder(intent.clientOrderId);
    if (found.state !== 'found')
      throw new VenueRejectedError(this.name, 'accepted order not found by its tag');
    return found.order;
  }

  async lookupOrder(clientOrderId: string): Promise<LookupResult> {
    const since = new Date(
      (this.options.now ?? Date.now)() - (this.options.lookbackMs ?? 7 * 86_400_000),
    ).toISOString();
    const order = await this.options.client.findOrderByTag(clientOrderId, since);
    return order
      ? { state: 'found', order: await this.toVenueOrder(order, clientOrderId) }
      : { state: 'absent' };
  }

  async cancelOrder(clientOrderId: string): Promise<VenueOrder> {
    const found = await this.lookupOrder(clientOrderId);
    if (found.state !== 'found') throw new VenueRejectedError(this.name, `no order tagged ${clientOrderId}`);
    await this.options.client.cancelOrder(Number(found.order.venueOrderId));
    const after = await this.lookupOrder(clientOrderId);
    return after.state === 'found' ? after.order : found.order;
  }

  async getPositions(): Promise<VenuePosition[]> {
    const positions = await this.options.client.searchOpenPositions();
    const result: VenuePosition[] = [];
    for (const p of positions) {
      result.push({
        instrument: await this.rootOf(p.contractId),
        quantity: new Decimal(p.size).times(p.type === 2 ? -1 : 1).toString(),
        averagePrice: new Decimal(p.averagePrice).toString(),
      });
    }
    return result;
  }

  async getQuote(instrument: string): Promise<VenueQuote> {
    const price = (await this.options.prices.getPrices([instrument]))[instrument];
    if (!price) throw new VenueRejectedError(this.name, `no price for ${instrument}`);
    return {
      instrument,
      bid: new Decimal(price.bid).toString(),
      ask: new Decimal(price.ask).toString(),
      last: new Decimal(price.last).toString(),
    };
  }
}
